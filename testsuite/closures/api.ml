(* The host's interface to its plugins: registries the plugin fills. *)
let unary : (string * (int -> int)) list ref = ref []
let table : (string, Obj.t) Hashtbl.t = Hashtbl.create 16
let register_unary name f = unary := (name, f) :: !unary

let f5 : (int -> int -> int -> int -> int -> int) ref = ref (fun _ _ _ _ _ -> 0)
let f10 : (int -> int -> int -> int -> int -> int -> int -> int -> int -> int -> int) ref =
  ref (fun _ _ _ _ _ _ _ _ _ _ -> 0)
let labelled : (?scale:int -> x:int -> y:int -> unit -> int) ref = ref (fun ?scale:_ ~x:_ ~y:_ () -> 0)
let curried_adder : (int -> int -> int) ref = ref (fun _ _ -> 0)
let make_counter : (unit -> (unit -> int)) ref = ref (fun () () -> 0)
let compose : ((int -> int) -> (int -> int) -> int -> int) ref = ref (fun _ _ x -> x)

(* Called by the plugin: host closures passed into plugin code. *)
let host_double x = 2 * x
let host_apply_n n f x =
  let rec go n acc = if n = 0 then acc else go (n - 1) (f acc) in
  go n x
