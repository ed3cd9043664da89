let frames = ref 0

(* [n] levels left; [catch] is the level whose handler catches Bottom
   (none if it is not in the range). Every 1000th level has a handler
   that does not match, so Bottom goes through it. *)
let host_step n catch =
  incr frames;
  if n = 0 then raise (Api.Bottom 1)
  else if n = catch then (try 1 + !Api.plugin_step (n - 1) catch with Api.Bottom v -> v * 1_000_000 + n)
  else if n mod 1000 = 0 then (try 1 + !Api.plugin_step (n - 1) catch with Exit | Not_found -> -1)
  else 1 + !Api.plugin_step (n - 1) catch

let run depth catch =
  frames := 0;
  let result =
    match host_step depth catch with
    | v -> Printf.sprintf "result %d" v
    | exception Api.Bottom v -> Printf.sprintf "Bottom %d escaped to main" v in
  Printf.printf "depth %d, catch at %d: %s (host frames %d)\n%!" depth catch result !frames

let () =
  Api.host_step := host_step;
  Crosstest.load "plugin";
  List.iter (fun (depth, catches) -> List.iter (run depth) catches)
    [ (100_000, [ -1; 100_000; 50_001; 1 ]) ];
  Gc.full_major ();
  run 100_000 3
