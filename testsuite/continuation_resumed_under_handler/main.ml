(* A continuation kept by a handler of one side is continued later by
   either side, under a handler of either side of the effects that its
   own handler does not handle: they reach that handler, as in a pure
   run. *)
let host_body name () =
  Effect.perform (Api.Yield 1);
  let a = Effect.perform (Api.Ask name) in
  let b = Effect.perform (Api.Ask (name ^ name)) in
  a * 100 + b

(* The host's handler of [Ask]: the length *)
let host_answer f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s))
        | _ -> None }

let show f =
  match f () with
  | n -> string_of_int n
  | exception Effect.Unhandled _ -> "Unhandled"
  | exception Effect.Continuation_already_resumed -> "already resumed"

let () =
  Crosstest.load "plugin";
  let suspenders = [ "host", Api.host_suspend; "plugin", (fun b -> !Api.plugin_suspend b) ] in
  let bodies = [ "host", host_body "host"; "plugin", (fun () -> !Api.plugin_body "plugin" ()) ] in
  let continuers = [ "host", Effect.Deep.continue; "plugin", (fun k () -> !Api.plugin_continue k) ] in
  let answers = [ "host handler", host_answer; "plugin handler", (fun f -> !Api.plugin_answer f); "no handler", (fun f -> f ()) ] in
  List.iter (fun (sname, suspend) ->
      List.iter (fun (bname, body) ->
          List.iter (fun (cname, continue) ->
              List.iter (fun (aname, answer) ->
                  match suspend body with
                  | None -> print_endline "not suspended"
                  | Some k ->
                    Printf.printf "kept by %s, %s body, continued by %s, %s: %s\n"
                      sname bname cname aname
                      (show (fun () -> answer (fun () -> continue k ()))))
                answers)
            continuers)
        bodies)
    suspenders;
  (* Continued twice *)
  (match Api.host_suspend (fun () -> !Api.plugin_body "plugin" ()) with
   | None -> ()
   | Some k ->
     Printf.printf "continued: %s\n" (show (fun () -> host_answer (fun () -> Effect.Deep.continue k ())));
     Printf.printf "continued again: %s\n" (show (fun () -> host_answer (fun () -> Effect.Deep.continue k ()))));
  (* Many, under GC activity *)
  let total = ref 0 in
  for i = 1 to 1000 do
    let l = List.init 10 (fun j -> i + j) in
    match !Api.plugin_suspend (fun () -> !Api.plugin_body "p" () + List.length l) with
    | None -> ()
    | Some k -> total := !total + host_answer (fun () -> Effect.Deep.continue k ())
  done;
  Printf.printf "1000 rounds: %d\n" !total
