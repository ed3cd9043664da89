(* Allocates (a list of n squares), takes the host's mutex 100 times. *)
let work n =
  let l = List.init n (fun i -> i * i) in
  for _ = 1 to 100 do Api.add 1 done;
  Atomic.incr Api.hits;
  List.fold_left ( + ) 0 l

let () =
  Api.plugin_work := work;
  Api.plugin_fail := (fun n -> if n > 0 then raise (Api.Failed n) else work 3);
  Api.plugin_spawn := (fun f ->
    let ds = List.map (fun n -> Domain.spawn (fun () -> f n)) [10; 20; 30] in
    List.map Domain.join ds)
