(* Maps and hash tables whose functions come from the other side. *)
module SMap = Map.Make (String)

(* A key order the plugin chooses at load time. *)
let plugin_compare : (string -> string -> int) ref = ref compare
module PKey = struct type t = string let compare a b = !plugin_compare a b end
module PMap = Map.Make (PKey)

(* A hashed type whose equality and hash the plugin chooses. *)
let plugin_equal : (string -> string -> bool) ref = ref ( = )
let plugin_hash : (string -> int) ref = ref Hashtbl.hash
module PTbl = Hashtbl.Make (struct
  type t = string
  let equal a b = !plugin_equal a b
  let hash s = !plugin_hash s
end)

let ops : (int -> int -> int) SMap.t ref = ref SMap.empty   (* filled by both sides *)
let table : (string, int -> int) Hashtbl.t = Hashtbl.create 8   (* created here, filled by the plugin *)
let host_compare_len a b = compare (String.length a, a) (String.length b, b)

let show_ops who =
  SMap.iter (fun name f -> Printf.printf "%s: %s 7 3 = %d\n" who name (f 7 3)) !ops

(* Filled by the plugin. *)
let plugin_map_module : (module Map.S with type key = string) option ref = ref None
let plugin_fill : (string list -> int PMap.t) ref = ref (fun _ -> PMap.empty)
let plugin_merge : ((int -> int -> int) SMap.t -> (int -> int -> int) SMap.t) ref = ref Fun.id
