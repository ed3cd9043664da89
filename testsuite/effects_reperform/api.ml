type _ Effect.t += Ask : string -> int Effect.t
type _ Effect.t += Other : int Effect.t

(* Handlers that handle only [Other], so that an [Ask] performed under
   them goes on to an outer handler (their [effc] reperforms it) *)
let host_deep f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Other -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k 0)
        | _ -> None }

let host_shallow f =
  let open Effect.Shallow in
  let rec go : type b. (b, int) continuation -> b -> int = fun k v ->
    continue_with k v
      { retc = (fun r -> r + 100); exnc = raise;
        effc = fun (type a) (e : a Effect.t) -> match e with
          | Other -> Some (fun (k : (a, _) continuation) -> go k 0)
          | _ -> None }
  in
  go (fiber f) ()

let plugin_deep : ((unit -> int) -> int) ref = ref (fun f -> f ())
let plugin_shallow : ((unit -> int) -> int) ref = ref (fun f -> f ())
let plugin_ask : (string -> int) ref = ref (fun _ -> 0)
let plugin_handle : ((unit -> int) -> int) ref = ref (fun f -> f ())
