(* Module types whose packed values cross in both directions. *)
module type SHAPE = sig
  type t
  exception Bad of string
  val name : string
  val make : int -> t
  val area : t -> int
  val check : t -> unit   (* raises Bad *)
end

module type SHOW = sig type t val show : t -> string end
type showable = Show : (module SHOW with type t = 'a) * 'a -> showable

module type STACK = sig
  type 'a t
  exception Empty
  val empty : 'a t
  val push : 'a -> 'a t -> 'a t
  val pop : 'a t -> 'a * 'a t
end

let describe (module S : SHAPE) n =
  let v = S.make n in
  match S.check v with
  | () -> Printf.sprintf "%s %d: area %d" S.name n (S.area v)
  | exception S.Bad why -> Printf.sprintf "%s %d: Bad %s" S.name n why

(* Filled by the plugin. *)
let shapes : (module SHAPE) list ref = ref []
let showables : showable list ref = ref []
let plugin_stack : (module STACK) option ref = ref None
let plugin_sum : ((module STACK) -> int list -> string) ref = ref (fun _ _ -> "")
let plugin_describe : ((module SHAPE) -> string) ref = ref (fun _ -> "")
