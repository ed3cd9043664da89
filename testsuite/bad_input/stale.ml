(* Compiled against the stale api.mli: the host must refuse to load it. *)
let () =
  ignore (Api.Started : Api.event);
  print_endline "stale: loaded?!"
