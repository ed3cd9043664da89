(* The host's iterators over this unit's closures: List.map and
   Hashtbl.iter of the host's own Stdlib, which bench_host.ml exports as
   Bench_api.host_list_map and host_hashtbl_iter (inside the guest, List
   and Hashtbl are bytecode copies, so a native iteration must be the
   host's). Loaded as a .cmo by a native host, the iteration is native code
   and every callback enters the guest; in the pure programs it is
   bytecode→bytecode (ocamlrun) or native→native. Each kernel makes
   exactly n callbacks: n / size passes over a list (a table) of size
   elements, then one over the n mod size left. The callbacks capture a
   counter and add to it, so the checksum reads no result back. *)

let size = 1000

let list_map n =
  let map = !Bench_api.host_list_map in
  let full = List.init size Fun.id and rest = List.init (n mod size) Fun.id in
  let s = ref 0 in
  let f x = s := !s + x; x + 1 in
  let last = ref [] in
  for _ = 1 to n / size do last := map f full done;
  let tail = map f rest in
  (!s + List.length !last + List.length tail) land 0xFFFFFFF

let table k =
  let t = Hashtbl.create (2 * size) in
  for i = 0 to k - 1 do Hashtbl.replace t i (i * 7) done;
  t

let hashtbl_iter n =
  let iter = !Bench_api.host_hashtbl_iter in
  let full = table size and rest = table (n mod size) in
  let s = ref 0 in
  let f k v = s := !s + (k lxor v) in
  for _ = 1 to n / size do iter f full done;
  iter f rest;
  !s land 0xFFFFFFF

let () =
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "iterators_list_map", list_map;
      "iterators_hashtbl_iter", hashtbl_iter ]
