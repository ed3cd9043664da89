open Effect.Deep

(* The host's deep handler answers the length of the side's name *)
let handle f =
  try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) continuation) -> continue k (String.length s))
        | _ -> None }

let unhandled f = try string_of_int (f ()) with Effect.Unhandled _ -> "Unhandled"

let () =
  Crosstest.load "plugin";
  for depth = 0 to 5 do
    Printf.printf "depth %d from host: host handler %s, plugin handler %s, plugin shallow %s\n" depth
      (unhandled (fun () -> handle (fun () -> Api.host_down depth)))
      (unhandled (fun () -> !Api.plugin_handle (fun () -> Api.host_down depth)))
      (unhandled (fun () -> !Api.plugin_shallow (fun () -> Api.host_down depth)));
    Printf.printf "depth %d from plugin: host handler %s, plugin handler %s, plugin shallow %s\n" depth
      (unhandled (fun () -> handle (fun () -> !Api.plugin_down depth)))
      (unhandled (fun () -> !Api.plugin_handle (fun () -> !Api.plugin_down depth)))
      (unhandled (fun () -> !Api.plugin_shallow (fun () -> !Api.plugin_down depth)))
  done;
  (* A continuation kept after its handler returned, continued twice, and
     one continued on another domain *)
  let kept = ref None in
  let suspend () =
    match_with (fun () -> !Api.plugin_down 3) ()
      { retc = (fun r -> r); exnc = raise;
        effc = fun (type a) (e : a Effect.t) -> match e with
          | Api.Ask _ -> Some (fun (k : (a, _) continuation) -> kept := Some (k : (int, int) continuation); -1)
          | _ -> None }
  in
  Printf.printf "suspended: %d\n" (suspend ());
  Gc.full_major ();
  let k = Option.get !kept in
  Printf.printf "continued later: %d\n" (continue k 40);
  Printf.printf "continued twice: %s\n"
    (try string_of_int (continue k 40) with Effect.Continuation_already_resumed -> "Continuation_already_resumed");
  Printf.printf "suspended: %d\n" (suspend ());
  let k = Option.get !kept in
  Printf.printf "continued on another domain: %d\n" (Domain.join (Domain.spawn (fun () -> continue k 50)))
