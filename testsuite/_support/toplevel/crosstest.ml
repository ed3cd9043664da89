(* The toplevel flavour of the crosstest support: plugins are loaded as by
   the #load directive, so the test exercises the toplevel's own loader. *)

let plugin_ext =
  match Sys.getenv_opt "CROSSTEST_PLUGIN_EXT" with
  | Some ext -> ext
  | None -> ".cmo"

exception Load_failed of string

(* #load searches the load path, not the current directory, where the
   harness puts the plugins. *)
let load name =
  let file = Filename.concat (Sys.getcwd ()) (name ^ plugin_ext) in
  if not (Topdirs.load_file Format.err_formatter file) then
    raise (Load_failed file)

(* #load does not check for primitives declared with [external]. *)
let allow_unsafe () = ()
