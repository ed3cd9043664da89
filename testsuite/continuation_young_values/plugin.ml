(* [steps n]: n performs, each between the allocation of a list and its
   use, so that the frame holds the only reference to a young block while
   the computation is suspended; returns the number of steps that found
   the list changed or the answer wrong. *)
let steps n =
  let errors = ref 0 in
  for i = 1 to n do
    let l = [i; i + 1; i + 2; String.length (string_of_int i)] in
    let r = Effect.perform (Api.Step i) in
    (* More than a minor heap under GC stress (s=4k), so that a block that
       the collector missed is overwritten before it is read *)
    let filler = List.init 1500 Fun.id in
    if r <> i + 1 || List.length filler <> 1500 || List.fold_left ( + ) 0 l
                     <> 3 * i + 3 + String.length (string_of_int i)
    then incr errors
  done;
  !errors

(* The same computation under a handler of the plugin that hands each
   continuation out *)
let suspend n =
  Effect.Deep.match_with steps n
    { retc = (fun errors -> Api.Done errors);
      exnc = raise;
      effc = fun (type a) (e : a Effect.t) ->
        match e with
        | Api.Step i -> Some (fun (k : (a, Api.suspended) Effect.Deep.continuation) ->
            Api.Suspended (i, k))
        | _ -> None }

let () =
  Api.plugin_run := steps;
  Api.plugin_suspend := suspend
