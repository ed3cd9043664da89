(* Closures and partial applications built in a loop and applied right
   away, all in this unit's own code (no Stdlib call in the loop): a
   hand-written map over a short list with a closure capturing a variable,
   partial applications of 2- and 3-argument functions, and closures
   applied where they are made. Loaded as a .cmo by a native host, every
   one of them is built and run by the guest interpreter; the pure
   bytecode program runs the same code under ocamlrun.

   closures runs n steps in the domain that calls it (processor time);
   closures_domains_1 and closures_domains_2 run the same n steps in one
   spawned domain, or split into two halves over two spawned domains, and
   are timed by the wall clock (the harness sets BENCH_CLOCK=wall:
   processor time would add up the two domains'). Step i's result depends
   on i only, so every split of the n steps has the same checksum. *)

let[@inline never] add2 a b = (a lxor b) + 1
let[@inline never] add3 a b c = a + (b * c)

let rec map f = function [] -> [] | x :: l -> let y = f x in y :: map f l
let rec fold f acc = function [] -> acc | x :: l -> fold f (f acc x) l

let xs = [ 1; 2; 3; 4; 5; 6; 7; 8 ]

let[@inline never] step i =
  let a = i land 1023 in
  (* map (fun x -> f a x), by hand: a closure capturing [a] *)
  let ys = map (fun x -> add2 a x) xs in
  (* partial applications of a 3-argument function: 1, then 2 arguments *)
  let p = add3 a in
  let q = p 3 in
  let zs = map q ys in
  (* a partial application of a 2-argument function, passed on *)
  let r = add2 (a + 1) in
  let t = fold (fun acc z -> acc + r z) 0 zs in
  (* closures applied where they are made (opaque, so not beta-reduced) *)
  let u = (Sys.opaque_identity (fun x -> x + a + t)) i in
  let v = (Sys.opaque_identity (fun x y -> (x * 3) + y - a)) u t in
  (t + u + v) land 0xFFFFFF

(* Steps [lo, hi) *)
let steps lo hi =
  let s = ref 0 in
  for i = lo to hi - 1 do s := (!s + step i) land 0xFFFFFFF done;
  !s

let in_domains d n =
  let part k = (k * n) / d in
  List.init d (fun k -> Domain.spawn (fun () -> steps (part k) (part (k + 1))))
  |> List.fold_left (fun s dom -> (s + Domain.join dom) land 0xFFFFFFF) 0

let closures n = steps 0 n
let domains_1 n = in_domains 1 n
let domains_2 n = in_domains 2 n

let () =
  List.iter (fun (name, run) -> Bench_api.register name run)
    [ "closures", closures;
      "closures_domains_1", domains_1;
      "closures_domains_2", domains_2 ]
