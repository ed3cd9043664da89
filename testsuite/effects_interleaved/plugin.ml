let rec down n =
  if n = 0 then Effect.perform (Api.Ask "plugin") else 1 + Api.host_down (n - 1)

(* The plugin's deep handler answers the length of the side's name * 10 *)
let handle f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s * 10))
        | _ -> None }

(* The plugin's shallow handler: every answer is 1000, resumed shallowly *)
let shallow f =
  let open Effect.Shallow in
  let rec go : type b. (b, int) continuation -> b -> int = fun k v ->
    continue_with k v
      { retc = (fun r -> r); exnc = raise;
        effc = fun (type a) (e : a Effect.t) -> match e with
          | Api.Ask _ -> Some (fun (k : (a, _) continuation) -> go k 1000)
          | _ -> None }
  in
  go (fiber f) ()

let () =
  Api.plugin_down := down;
  Api.plugin_handle := handle;
  Api.plugin_shallow := shallow
