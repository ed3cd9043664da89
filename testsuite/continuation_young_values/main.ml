(* The host resumes continuations whose frames hold young values, often
   enough that minor collections happen while it does (under GC stress,
   at almost every step): a handler of the host answers each perform of
   the plugin, then the host continues the continuations that the
   plugin's handler hands out. *)
let n = 5_000

let () =
  Crosstest.load "plugin";
  let errors =
    Effect.Deep.try_with !Api.plugin_run n
      { effc = fun (type a) (e : a Effect.t) ->
          match e with
          | Api.Step i -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
              Effect.Deep.continue k (i + 1))
          | _ -> None }
  in
  Printf.printf "host handler, plugin performs: %d steps, %d errors\n" n errors;
  let rec drive s steps =
    match s with
    | Api.Done errors -> (steps, errors)
    | Api.Suspended (i, k) -> drive (Effect.Deep.continue k (i + 1)) (steps + 1)
  in
  let steps, errors = drive (!Api.plugin_suspend n) 0 in
  Printf.printf "plugin handler, host continues: %d steps, %d errors\n"
    steps errors
