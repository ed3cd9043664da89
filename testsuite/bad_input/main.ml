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

let try_load what file =
  match Dynlink.loadfile file with
  | () -> Printf.printf "%s: loaded?!\n%!" what
  | exception Dynlink.Error e ->
      Printf.printf "%s: Dynlink.Error %s (message %s)\n%!" what (kind e)
        (if Dynlink.error_message e = "" then "empty" else "present")
  | exception e -> Printf.printf "%s: unexpected %s\n%!" what (Printexc.to_string e)

let write file s = Out_channel.with_open_bin file (fun oc -> output_string oc s)

let () =
  let good = "plugin" ^ Crosstest.plugin_ext in
  let bytes = In_channel.with_open_bin good In_channel.input_all in
  write ("truncated" ^ Crosstest.plugin_ext) (String.sub bytes 0 (String.length bytes / 2));
  write ("garbage" ^ Crosstest.plugin_ext) "this is not a compiled OCaml file\n";
  try_load "missing" ("missing" ^ Crosstest.plugin_ext);
  try_load "truncated" ("truncated" ^ Crosstest.plugin_ext);
  try_load "garbage" ("garbage" ^ Crosstest.plugin_ext);
  Crosstest.load "plugin";
  try_load "twice" good;
  print_endline "host: still running"
