(* Classes of the host, objects going both ways. *)
class virtual shape (name : string) = object (self)
  method name = name
  method virtual area : int
  method describe = Printf.sprintf "%s(area=%d)" self#name self#area
end

class square side = object
  inherit shape "square"
  val side : int = side
  method area = side * side
  method resized s = {< side = s >}
end

class counter = object (self)
  val mutable n = 0
  method get = n
  method incr = n <- n + 1; self
  method adder = fun k -> n <- n + k; self#get   (* a method returning a closure *)
end

type mapper = < map : 'a 'b. ('a -> 'b) -> 'a list -> 'b list; name : string >

let host_square = new square 3
let host_counter = new counter
let host_mapper : mapper =
  object method map : 'a 'b. ('a -> 'b) -> 'a list -> 'b list = List.map method name = "host" end

(* Filled by the plugin. *)
let shapes : shape list ref = ref []
let plugin_counter : counter option ref = ref None
let plugin_mapper : mapper option ref = ref None
let plugin_visit : (shape -> string) ref = ref (fun _ -> "")
let plugin_copy_test : (counter -> unit) ref = ref ignore
