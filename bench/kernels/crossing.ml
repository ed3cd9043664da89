(* The cost of one call across the host/plugin boundary, each direction.
   In a pure run (host and plugin on the same side) these measure a plain
   call of an unknown function; crossloaded, every call crosses between
   native code and bytecode. The host's side of each pair (its functions,
   and the loops that call the plugin's) is in bench_host.ml. *)
let[@inline never] f1 x = x + 1
let[@inline never] f2 x y = x + y
let[@inline never] f3 x y z = x + y + z
let[@inline never] f5 a b c d e = a + b + c + d + e
let[@inline never] f10 a b c d e f g h i j =
  a + b + c + d + e + f + g + h + i + j
let raiser x = if x >= 0 then raise Exit else x

let plugin_calls_host1 n =
  let f = !Bench_api.host_f1 in
  let s = ref 0 in for i = 1 to n do s := !s + f i done; !s
let plugin_calls_host2 n =
  let f = !Bench_api.host_f2 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i done; !s
let plugin_calls_host3 n =
  let f = !Bench_api.host_f3 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i i done; !s
let plugin_calls_host5 n =
  let f = !Bench_api.host_f5 in
  let s = ref 0 in for i = 1 to n do s := !s + f i i i i i done; !s
let plugin_calls_host10 n =
  let f = !Bench_api.host_f10 in
  let s = ref 0 in
  for i = 1 to n do s := !s + f i i i i i i i i i i done; !s
let plugin_calls_host_exn n =
  let f = !Bench_api.host_raise in
  let s = ref 0 in
  for i = 1 to n do s := !s + (try f i with Exit -> 1) done; !s

let () =
  Bench_api.plugin_f1 := f1;
  Bench_api.plugin_f2 := f2;
  Bench_api.plugin_f3 := f3;
  Bench_api.plugin_f5 := f5;
  Bench_api.plugin_f10 := f10;
  Bench_api.plugin_raise := raiser;
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "plugin_calls_host_1", plugin_calls_host1;
      "plugin_calls_host_2", plugin_calls_host2;
      "plugin_calls_host_3", plugin_calls_host3;
      "plugin_calls_host_5", plugin_calls_host5;
      "plugin_calls_host_10", plugin_calls_host10;
      "plugin_calls_host_exn", plugin_calls_host_exn ]
