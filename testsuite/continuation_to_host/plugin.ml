(* The plugin's computation performs Step three times; its handler answers
   the second and third steps itself, but hands the first continuation out. *)
let suspend () =
  let saved = ref None in
  let first =
    Effect.Deep.match_with
      (fun () ->
         let a = Effect.perform (Api.Step 1) in
         let b = Effect.perform (Api.Step (a + 1)) in
         let c = Effect.perform (Api.Step (b + 1)) in
         Printf.sprintf "a=%d b=%d c=%d" a b c)
      ()
      { retc = (fun s -> "plugin computation returned " ^ s);
        exnc = (fun e -> "plugin computation raised " ^ Printexc.to_string e);
        effc = fun (type a) (e : a Effect.t) ->
          match e with
          | Api.Step 1 -> Some (fun (k : (a, string) Effect.Deep.continuation) ->
              saved := Some (k : (int, string) Effect.Deep.continuation); "suspended at step 1")
          | Api.Step n -> Some (fun (k : (a, string) Effect.Deep.continuation) ->
              Gc.full_major (); Effect.Deep.continue k (n * 10))
          | _ -> None }
  in
  (Option.get !saved, first)

let () =
  Api.plugin_suspend := suspend;
  Api.plugin_resume := (fun k -> Effect.Deep.continue k 7)
