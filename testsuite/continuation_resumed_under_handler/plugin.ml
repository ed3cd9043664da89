let suspend (body : unit -> int) : Api.task option =
  let kept = ref None in
  ignore (Effect.Deep.match_with body ()
    { retc = (fun r -> r); exnc = raise;
      effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Yield _ -> Some (fun (k : (a, int) Effect.Deep.continuation) ->
            kept := Some (Obj.magic k : Api.task); 0)
        | _ -> None });
  !kept

let body name () =
  Effect.perform (Api.Yield 1);
  let a = Effect.perform (Api.Ask name) in
  let b = Effect.perform (Api.Ask (name ^ name)) in
  a * 100 + b

(* The plugin's handler of [Ask]: the length * 10 *)
let answer f =
  Effect.Deep.try_with f ()
    { effc = fun (type a) (e : a Effect.t) -> match e with
        | Api.Ask s -> Some (fun (k : (a, _) Effect.Deep.continuation) ->
            Effect.Deep.continue k (String.length s * 10))
        | _ -> None }

let () =
  Api.plugin_suspend := suspend;
  Api.plugin_body := body;
  Api.plugin_answer := answer;
  Api.plugin_continue := (fun k -> Effect.Deep.continue k ())
