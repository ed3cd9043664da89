(* Lazy values made on one side and forced on the other. *)
exception Lazy_boom of int
type 'a stream = Nil | Cons of 'a * 'a stream Lazy.t

let host_lazy = lazy (print_endline "  (forcing the host's lazy)"; 6 * 7)
let host_failing = lazy (print_endline "  (forcing the host's failing lazy)"; raise (Lazy_boom 1))
let rec host_nats n = Cons (n, lazy (host_nats (n + 1)))

let rec take n s = if n = 0 then [] else match s with
  | Nil -> []
  | Cons (x, rest) -> x :: take (n - 1) (Lazy.force rest)

let show l = String.concat " " (List.map string_of_int l)

(* Filled by the plugin. *)
let named : (string * int Lazy.t) list ref = ref []
let plugin_stream : int stream ref = ref Nil
let plugin_force : (int Lazy.t -> string) ref = ref (fun _ -> "")
let self_ref : int Lazy.t option ref = ref None
let gc_lazy : string Lazy.t option ref = ref None
