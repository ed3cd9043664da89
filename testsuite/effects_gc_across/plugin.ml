(* The plugin's deep handler answers the length of the string * 10 *)
let handle f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s * 10))
        | _ -> None }

let () =
  Api.plugin_allocating := (fun n -> Api.allocating 'p' n);
  Api.plugin_handle := handle
