(* Allocates and collects, takes the mutex 100 times. *)
let host_work n =
  for _ = 1 to 100 do Api.add 1 done;
  Gc.minor ();
  Atomic.incr Api.hits;
  n * List.length (List.init n string_of_int)

let ints l = String.concat " " (List.map string_of_int l)

let () =
  Crosstest.load "plugin";
  (* Host domains running plugin code and host code, at the same time as the main domain. *)
  let d1 = Domain.spawn (fun () -> !Api.plugin_work 1000) in
  let d2 = Domain.spawn (fun () -> host_work 50) in
  let d3 = Domain.spawn (fun () -> List.map !Api.plugin_work [1; 2; 3; 4]) in
  let mine = !Api.plugin_work 10 + host_work 5 in
  let r1 = Domain.join d1 in
  let r2 = Domain.join d2 in
  let r3 = Domain.join d3 in
  (* Domains spawned by the plugin, running a host closure. *)
  let r4 = !Api.plugin_spawn host_work in
  (* A plugin exception leaves its domain through Domain.join in the host. *)
  let d5 = Domain.spawn (fun () -> !Api.plugin_fail 7) in
  let d6 = Domain.spawn (fun () -> !Api.plugin_fail 0) in
  let r5 = match Domain.join d5 with v -> string_of_int v | exception Api.Failed n -> Printf.sprintf "Failed %d" n in
  let r6 = match Domain.join d6 with v -> string_of_int v | exception Api.Failed n -> Printf.sprintf "Failed %d" n in
  Printf.printf "main domain: %d\n" mine;
  Printf.printf "host domains: plugin %d, host %d, plugin via List.map %s\n" r1 r2 (ints r3);
  Printf.printf "plugin domains running host code: %s\n" (ints r4);
  Printf.printf "joined plugin exception: %s; normal return: %s\n" r5 r6;
  Printf.printf "mutex counter: %d; atomic hits: %d\n" !Api.counter (Atomic.get Api.hits)
