type _ Effect.t += Yield : int -> unit Effect.t
type _ Effect.t += Ask : string -> int Effect.t

type task = (unit, int) Effect.Deep.continuation

(* [suspend body] runs [body] under a handler of [Yield] only, which
   keeps the continuation of the first [Yield] and returns: the rest of
   [body] runs when someone continues it, maybe under a handler of
   [Ask], which [body] performs. *)
let host_suspend (body : unit -> int) : task option =
  let kept = ref None in
  ignore (Effect.Deep.match_with body ()
    { retc = (fun r -> r); exnc = raise;
      effc = fun (type a) (e : a Effect.t) -> match e with
        | Yield _ -> Some (fun (k : (a, int) Effect.Deep.continuation) ->
            kept := Some (Obj.magic k : task); 0)
        | _ -> None });
  !kept

let plugin_suspend : ((unit -> int) -> task option) ref = ref (fun _ -> None)
let plugin_body : (string -> unit -> int) ref = ref (fun _ () -> 0)
let plugin_answer : ((unit -> int) -> int) ref = ref (fun f -> f ())
let plugin_continue : (task -> int) ref = ref (fun _ -> 0)
