(* Functors of the host, applied by the plugin; the plugin's, applied by the host. *)
module type ORDERED = sig type t val compare : t -> t -> int val show : t -> string end

module type SET = sig
  type elt
  type t
  val empty : t
  val add : elt -> t -> t
  val elements : t -> elt list
  val show : t -> string
end

module MakeSet (O : ORDERED) : SET with type elt = O.t = struct
  type elt = O.t
  type t = elt list
  let empty = []
  let rec add x = function
    | [] -> [x]
    | y :: r as l -> let c = O.compare x y in
      if c = 0 then l else if c < 0 then x :: l else y :: add x r
  let elements s = s
  let show s = "{" ^ String.concat "," (List.map O.show s) ^ "}"
end

module Int_ord = struct type t = int let compare = compare let show = string_of_int end
module IntSet = MakeSet (Int_ord)

(* Generative: each application has its own state. *)
module type COUNTER = sig val next : unit -> int end
module Fresh () : COUNTER = struct let r = ref 0 let next () = incr r; !r end

(* A functor with a side effect: applying it registers the argument. *)
module type PLUGIN = sig val name : string val run : int -> int end
let registered : (string * (int -> int)) list ref = ref []
module Register (P : PLUGIN) = struct
  let () = registered := (P.name, P.run) :: !registered
  let run_twice x = P.run (P.run x)
end

module type SET_MAKER = functor (O : ORDERED) -> SET with type elt = O.t

(* Filled by the plugin. *)
let plugin_maker : (module SET_MAKER) option ref = ref None
let plugin_intset : IntSet.t ref = ref IntSet.empty
let plugin_counters : (unit -> int) list ref = ref []
let plugin_twice : (int -> int) ref = ref Fun.id
let plugin_use_maker : ((module SET_MAKER) -> string) ref = ref (fun _ -> "")
