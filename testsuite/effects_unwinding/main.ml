open Effect.Deep

let host_discontinue f =
  match_with f ()
    { retc = string_of_int;
      exnc = (function Api.Stop s -> "host handler saw Stop " ^ s | e -> raise e);
      effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask -> Some (fun (k : (a, _) continuation) -> discontinue k (Api.Stop "from the host's handler"))
        | _ -> None }

let answer f =
  try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask -> Some (fun (k : (a, _) continuation) -> continue k 7)
        | _ -> None }

let perform_ask () = Effect.perform Api.Ask

let () =
  Crosstest.load "plugin";
  print_endline "host handler discontinues, from the host:";
  print_endline (host_discontinue (fun () -> Api.host_down perform_ask 3));
  print_endline "plugin handler discontinues, from the host:";
  print_endline (!Api.plugin_discontinue (fun () -> Api.host_down perform_ask 3));
  print_endline "host handler discontinues, from the plugin:";
  print_endline (host_discontinue (fun () -> !Api.plugin_down perform_ask 4));
  print_endline "resumed, then raising at the bottom:";
  (try ignore (answer (fun () -> Api.host_down (fun () -> if perform_ask () = 7 then raise (Api.Stop "bottom") else 0) 4))
   with Api.Stop s -> print_endline ("caught Stop " ^ s));
  print_endline "an effect nobody handles:";
  (try ignore (answer (fun () -> Api.host_down (fun () -> Effect.perform Api.Nobody) 3))
   with Effect.Unhandled _ -> print_endline "caught Effect.Unhandled")
