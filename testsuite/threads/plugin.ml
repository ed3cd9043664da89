(* Allocates (a list of n squares), takes the host's mutex 100 times. *)
let work n =
  let l = List.init n (fun i -> i * i) in
  for _ = 1 to 100 do Api.add 1 done;
  List.fold_left ( + ) 0 l

(* Keeps lists alive across Thread.yield and the host's mutex. *)
let thread_work n =
  let acc = ref [] in
  for i = 1 to n do
    acc := List.init i (fun j -> i * j) :: !acc;
    if i mod 3 = 0 then Thread.yield ();
    Api.add 1
  done;
  List.fold_left (fun s l -> s + List.fold_left ( + ) 0 l) 0 !acc

(* Takes k numbers from the host's mailbox, waiting on the host's condition. *)
let take k =
  let sum = ref 0 in
  for _ = 1 to k do
    Mutex.lock Api.tlock;
    while Queue.is_empty Api.mailbox do Condition.wait Api.changed Api.tlock done;
    sum := !sum + Queue.pop Api.mailbox;
    Mutex.unlock Api.tlock
  done;
  !sum

let post n =
  Thread.yield ();
  Mutex.lock Api.tlock;
  Queue.push n Api.mailbox;
  Condition.broadcast Api.changed;
  Mutex.unlock Api.tlock

(* Plays turn 1 against the host's turn 0. *)
let pingpong rounds =
  for i = 1 to rounds do
    Mutex.lock Api.tlock;
    while !Api.turn <> 1 do Condition.wait Api.changed Api.tlock done;
    Api.log := Printf.sprintf "plugin %d" i :: !Api.log;
    Api.turn := 0;
    Condition.broadcast Api.changed;
    Mutex.unlock Api.tlock
  done

let () =
  Api.plugin_fail := (fun n -> if n > 0 then raise (Api.Failed n) else work 3);
  Api.plugin_thread_work := thread_work;
  Api.plugin_thread_spawn := (fun f ->
    let results = Array.make 3 0 in
    let ts = List.mapi (fun i n -> Thread.create (fun n -> results.(i) <- f n) n) [10; 20; 30] in
    List.iter Thread.join ts;
    Array.to_list results);
  Api.plugin_take := take;
  Api.plugin_produce := (fun l -> List.iter Thread.join (List.map (Thread.create post) l));
  Api.plugin_pingpong := pingpong
