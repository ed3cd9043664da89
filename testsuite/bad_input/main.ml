let kind = function
  | Dynlink.Not_a_bytecode_file _ -> "Not_a_bytecode_file"
  | Dynlink.Inconsistent_import _ -> "Inconsistent_import"
  | Dynlink.Unavailable_unit _ -> "Unavailable_unit"
  | Dynlink.Unsafe_file -> "Unsafe_file"
  | Dynlink.Linking_error _ -> "Linking_error"
  | Dynlink.Corrupted_interface _ -> "Corrupted_interface"
  | Dynlink.Cannot_open_dynamic_library _ -> "Cannot_open_dynamic_library"
  | Dynlink.Library's_module_initializers_failed _ -> "Library's_module_initializers_failed"
  | Dynlink.Inconsistent_implementation _ -> "Inconsistent_implementation"
  | Dynlink.Module_already_loaded _ -> "Module_already_loaded"
  | Dynlink.Private_library_cannot_implement_interface _ -> "Private_library_cannot_implement_interface"

(* Dynlink names files by absolute path, from the current directory: the
   test's own work directory, different in every mode and on every machine.
   It is cut out, so the messages compare with one reference. *)
let mask message =
  let dir = Sys.getcwd () ^ Filename.dir_sep in
  let n = String.length dir and len = String.length message in
  let b = Buffer.create len in
  let i = ref 0 in
  while !i < len do
    if !i + n <= len && String.sub message !i n = dir then i := !i + n
    else (Buffer.add_char b message.[!i]; incr i)
  done;
  Buffer.contents b

let try_load what file =
  (match Dynlink.loadfile file with
   | () -> Printf.printf "%s: loaded?!\n" what
   | exception Dynlink.Error e ->
       Printf.printf "%s: Dynlink.Error %s: %s\n" what (kind e) (mask (Dynlink.error_message e))
   | exception e -> Printf.printf "%s: unexpected %s\n" what (Printexc.to_string e));
  print_endline "host: still running"

let read file = In_channel.with_open_bin file In_channel.input_all
let write file s = Out_channel.with_open_bin file (fun oc -> output_string oc s)

(* An object file of another OCaml version: the good plugin with the version
   of its magic number ("Caml1999O035" at the start of a .cmo, "Caml1999D035"
   in the header of a .cmxs) changed to 999. *)
let foreign bytes =
  let magic = "Caml1999" in
  let rec find i = if String.sub bytes i (String.length magic) = magic then i else find (i + 1) in
  let b = Bytes.of_string bytes in
  Bytes.blit_string "999" 0 b (find 0 + String.length magic + 1) 3;
  Bytes.to_string b

let () =
  let ext = Crosstest.plugin_ext in
  let bytes = read ("plugin" ^ ext) in
  write ("truncated" ^ ext) (String.sub bytes 0 (String.length bytes / 2));
  write ("garbage" ^ ext) "this is not a compiled OCaml file\n";
  write ("interface" ^ ext) (read "plugin.cmi");
  write ("foreign" ^ ext) (foreign bytes);
  try_load "missing" ("missing" ^ ext);
  try_load "truncated" ("truncated" ^ ext);
  try_load "garbage" ("garbage" ^ ext);
  try_load "wrong kind (a .cmi)" ("interface" ^ ext);
  try_load "foreign" ("foreign" ^ ext);
  try_load "inconsistent" ("stale" ^ ext);
  Crosstest.load "plugin";
  try_load "twice" ("plugin" ^ ext)
