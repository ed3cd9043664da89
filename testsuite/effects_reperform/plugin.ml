let deep f =
  Effect.Deep.match_with f ()
    { retc = (fun r -> r + 1); exnc = raise;
      effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Other -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k 0)
        | _ -> None }

let shallow f =
  let open Effect.Shallow in
  let rec go : type b. (b, int) continuation -> b -> int = fun k v ->
    continue_with k v
      { retc = (fun r -> r + 10); exnc = raise;
        effc = fun (type a) (e : a Effect.t) -> match e with
          | Api.Other -> Some (fun (k : (a, _) continuation) -> go k 0)
          | _ -> None }
  in
  go (fiber f) ()

(* The plugin's handler for [Ask]: the length of the name * 1000 *)
let handle f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s * 1000))
        | _ -> None }

let () =
  Api.plugin_deep := deep;
  Api.plugin_shallow := shallow;
  Api.plugin_ask := (fun s -> Effect.perform (Api.Ask s));
  Api.plugin_handle := handle
