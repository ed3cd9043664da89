(* The cost of one call across the host/plugin boundary, each direction.
   In a pure run (host and plugin on the same side) these measure a plain
   call; crossloaded, every call crosses between native code and bytecode. *)
let[@inline never] f1 x = x + 1
let[@inline never] f2 x y = x + y
let[@inline never] f3 x y z = x + y + z
let[@inline never] f5 a b c d e = a + b + c + d + e
let raiser x = if x >= 0 then raise Exit else x

let plugin_calls_host n =
  let s = ref 0 in for i = 1 to n do s := !s + Bench_api.host_f1 i done; !s
let plugin_calls_host2 n =
  let s = ref 0 in for i = 1 to n do s := !s + Bench_api.host_f2 i i done; !s
let plugin_calls_host3 n =
  let s = ref 0 in for i = 1 to n do s := !s + Bench_api.host_f3 i i i done; !s
let plugin_calls_host5 n =
  let s = ref 0 in for i = 1 to n do s := !s + Bench_api.host_f5 i i i i i done; !s
let plugin_calls_host_exn n =
  let s = ref 0 in
  for i = 1 to n do s := !s + (try Bench_api.host_raise i with Exit -> 1) done; !s

let () =
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "host_calls_plugin_1", Bench_api.loop1 f1;
      "host_calls_plugin_2", Bench_api.loop2 f2;
      "host_calls_plugin_3", Bench_api.loop3 f3;
      "host_calls_plugin_5", Bench_api.loop5 f5;
      "host_calls_plugin_exn", Bench_api.loop_exn raiser;
      "plugin_calls_host_1", plugin_calls_host;
      "plugin_calls_host_2", plugin_calls_host2;
      "plugin_calls_host_3", plugin_calls_host3;
      "plugin_calls_host_5", plugin_calls_host5;
      "plugin_calls_host_exn", plugin_calls_host_exn ]
