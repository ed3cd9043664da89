(* The host resumes the plugin's continuation, discontinues another, and
   hands its own continuation to the plugin.  A side that cannot resume
   the other's continuation raises Failure, printed. *)
let failure f = try f () with Failure msg -> "Failure " ^ msg

let () =
  Crosstest.load "plugin";
  let k, first = !Api.plugin_suspend () in
  print_endline first;
  Gc.full_major ();
  print_endline ("host continues: " ^ failure (fun () -> Effect.Deep.continue k 5));
  (match Effect.Deep.continue k 5 with
   | s -> print_endline ("continued twice: " ^ s)
   | exception Effect.Continuation_already_resumed -> print_endline "continued twice: Continuation_already_resumed"
   | exception Failure msg -> print_endline ("continued twice: Failure " ^ msg));
  let k, _ = !Api.plugin_suspend () in
  print_endline ("host discontinues: " ^ failure (fun () -> Effect.Deep.discontinue k Exit));
  (* The host's own computation, resumed by the plugin *)
  let saved = ref None in
  let first =
    Effect.Deep.match_with
      (fun () -> Printf.sprintf "host computation got %d" (Effect.perform (Api.Step 1) + 1))
      ()
      { retc = Fun.id; exnc = raise;
        effc = fun (type a) (e : a Effect.t) ->
          match e with
          | Api.Step _ -> Some (fun (k : (a, string) Effect.Deep.continuation) ->
              saved := Some (k : (int, string) Effect.Deep.continuation); "host suspended")
          | _ -> None }
  in
  print_endline first;
  print_endline ("plugin continues the host's: " ^ failure (fun () -> !Api.plugin_resume (Option.get !saved)))
