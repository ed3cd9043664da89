(* What the finalisers saw, an ephemeron table type; the plugin's entry points. *)
let seen : string list ref = ref []
let saw tag n = seen := (tag ^ string_of_int n) :: !seen
let report what =
  Printf.printf "%s: [%s]\n" what (String.concat " " (List.sort compare !seen));
  seen := []
module Tbl = Ephemeron.K1.Make (struct type t = int ref let equal = ( == ) let hash r = !r end)
let plugin_finaliser : (int ref -> unit) ref = ref (fun _ -> ())
let plugin_last : (int -> unit -> unit) ref = ref (fun _ () -> ())
let plugin_alloc : ((int ref -> unit) -> (int -> unit -> unit) -> int ref list) ref = ref (fun _ _ -> [])
let plugin_weak : (unit -> int ref Weak.t * int ref list) ref = ref (fun () -> (Weak.create 0, []))
let plugin_check_weak : (int ref Weak.t -> string) ref = ref (fun _ -> "")
let plugin_fill : (string Tbl.t -> int ref list) ref = ref (fun _ -> [])
let plugin_check_tbl : (string Tbl.t -> int ref list -> string) ref = ref (fun _ _ -> "")
