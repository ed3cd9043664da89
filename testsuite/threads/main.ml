let ints l = String.concat " " (List.map string_of_int l)

(* Run by plugin threads: allocates, yields, collects, takes the mutex. *)
let host_thread_work n =
  let l = List.init n (fun i -> i) in
  Thread.yield ();
  Gc.minor ();
  Api.add 1;
  n + List.fold_left ( + ) 0 l

(* Plays turn 0 against the plugin's turn 1. *)
let pingpong rounds =
  for i = 1 to rounds do
    Mutex.protect Api.tlock (fun () ->
      while !Api.turn <> 0 do Condition.wait Api.changed Api.tlock done;
      Api.log := Printf.sprintf "host %d" i :: !Api.log;
      Api.turn := 1;
      Condition.broadcast Api.changed)
  done

let post n =
  Mutex.protect Api.tlock (fun () -> Queue.push n Api.mailbox; Condition.broadcast Api.changed)

let threads () =
  Api.counter := 0;
  (* Host threads running plugin closures, while the main thread runs one too and collects. *)
  let results = Array.make 4 0 in
  let ts = List.mapi (fun i n -> Thread.create (fun () -> results.(i) <- !Api.plugin_thread_work n) ()) [5; 10; 15; 20] in
  let mine = !Api.plugin_thread_work 12 in
  Gc.full_major ();
  List.iter Thread.join ts;
  (* Threads created by the plugin, running a host closure. *)
  let r2 = !Api.plugin_thread_spawn host_thread_work in
  (* A plugin exception caught by host code in the thread that raised it. *)
  let caught = ref [] in
  let ts = List.map (fun n -> Thread.create (fun n ->
      let r = match !Api.plugin_fail n with v -> string_of_int v | exception Api.Failed n -> Printf.sprintf "Failed %d" n in
      Mutex.protect Api.tlock (fun () -> caught := r :: !caught)) n) [0; 3; 9] in
  List.iter Thread.join ts;
  (* Plugin threads wait on the host's condition for numbers posted by the host. *)
  let sums = Array.make 2 0 in
  let consumers = List.init 2 (fun i -> Thread.create (fun () -> sums.(i) <- !Api.plugin_take 5) ()) in
  List.iter (fun n -> post n; if n mod 2 = 0 then Thread.yield ()) (List.init 10 succ);
  List.iter Thread.join consumers;
  (* A host thread waits on the condition for numbers posted by plugin threads. *)
  let total = ref 0 in
  let consumer = Thread.create (fun () -> for _ = 1 to 4 do total := !total + Api.take () done) () in
  !Api.plugin_produce [100; 200; 300; 400];
  Thread.join consumer;
  (* Strict alternation through the shared condition: a host thread and a plugin closure in a host thread. *)
  let a = Thread.create pingpong 3 in
  let b = Thread.create !Api.plugin_pingpong 3 in
  Thread.join a;
  Thread.join b;
  (* A thread inside a host domain, running plugin code. *)
  let d = Domain.spawn (fun () ->
      let r = ref 0 in
      let t = Thread.create (fun () -> r := !Api.plugin_thread_work 6) () in
      Thread.join t;
      !r) in
  let r7 = Domain.join d in
  Printf.printf "main thread: %d; host threads running plugin code: %s\n" mine (ints (Array.to_list results));
  Printf.printf "plugin threads running host code: %s\n" (ints r2);
  Printf.printf "plugin exceptions caught in threads: %s\n" (String.concat ", " (List.sort compare !caught));
  Printf.printf "plugin consumers took %d in all; host consumer took %d\n" (Array.fold_left ( + ) 0 sums) !total;
  Printf.printf "turns: %s\n" (String.concat ", " (List.rev !Api.log));
  Printf.printf "thread in a domain: %d\n" r7;
  Printf.printf "mutex counter: %d\n" !Api.counter

let () =
  Crosstest.load "plugin";
  threads ()
