(* The benchmark host's interface: kernels register themselves here, and
   the crossing kernels call back into these host functions. *)

let kernels : (string * (int -> int)) list ref = ref []
let register name run = kernels := (name, run) :: !kernels

(* Host functions that plugin code calls (a crossing in each call when the
   plugin runs on the other side). [@inline never] keeps them real calls in
   native code too, so a pure run measures a plain call. *)
let[@inline never] host_f1 x = x + 1
let[@inline never] host_f2 x y = x + y
let[@inline never] host_f3 x y z = x + y + z
let[@inline never] host_f5 a b c d e = a + b + c + d + e
let host_raise x = if x >= 0 then raise Exit else x

(* Host loops that call plugin functions: the loop runs on the host side. *)
let loop1 (f : int -> int) n = let s = ref 0 in for i = 1 to n do s := !s + f i done; !s
let loop2 (f : int -> int -> int) n = let s = ref 0 in for i = 1 to n do s := !s + f i i done; !s
let loop3 (f : int -> int -> int -> int) n =
  let s = ref 0 in for i = 1 to n do s := !s + f i i i done; !s
let loop5 (f : int -> int -> int -> int -> int -> int) n =
  let s = ref 0 in for i = 1 to n do s := !s + f i i i i i done; !s
let loop_exn (f : int -> int) n =
  let s = ref 0 in
  for i = 1 to n do s := !s + (try f i with Exit -> 1) done; !s
