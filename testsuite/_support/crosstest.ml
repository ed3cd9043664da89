(* Linked into every crosstest host program. The harness chooses how plugins
   are loaded (bytecode .cmo or native .cmxs) through CROSSTEST_PLUGIN_EXT,
   so one host source serves every mode. *)

let plugin_ext =
  match Sys.getenv_opt "CROSSTEST_PLUGIN_EXT" with
  | Some ext -> ext
  | None -> if Sys.backend_type = Sys.Native then ".cmxs" else ".cmo"

let load name = Dynlink.loadfile (name ^ plugin_ext)

let allow_unsafe () = Dynlink.allow_unsafe_modules true
