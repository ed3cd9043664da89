let () =
  print_string "plugin: unflushed text, ";
  Printf.printf "printf %d, " 1;
  Format.printf "@[format %s@]@?" "box";
  prerr_string "plugin stderr line\n";
  at_exit (fun () -> print_endline "plugin at_exit (registered second, runs first)")
