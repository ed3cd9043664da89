(* The host's deep handler answers the length of the string * 100 *)
let handle f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s * 100))
        | _ -> None }

let () =
  Crosstest.load "plugin";
  let host_under_plugin = ref 0 and plugin_under_host = ref 0 in
  for n = 1 to 100 do
    host_under_plugin :=
      !host_under_plugin + !Api.plugin_handle (Api.host_allocating n);
    plugin_under_host :=
      !plugin_under_host + handle (!Api.plugin_allocating n)
  done;
  Printf.printf "host function, plugin handler: %d\n" !host_under_plugin;
  Printf.printf "plugin function, host handler: %d\n" !plugin_under_host;
  (* A continuation kept across collections, then continued *)
  let kept = ref None in
  let first =
    Effect.Deep.match_with (!Api.plugin_allocating 7) ()
      { retc = (fun r -> r); exnc = raise;
        effc = fun (type a) (e : a Effect.t) -> match e with
          | Api.Ask _ -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
              kept := Some (k : (int, int) Effect.Deep.continuation); -1)
          | _ -> None }
  in
  ignore (List.init 100_000 Fun.id);
  Gc.full_major ();
  Printf.printf "suspended: %d; continued after collections: %d\n" first
    (Effect.Deep.continue (Option.get !kept) 5)
