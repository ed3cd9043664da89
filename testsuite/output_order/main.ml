let () =
  at_exit (fun () -> print_endline "host at_exit (registered first, runs last)");
  print_string "host before load; ";
  Crosstest.load "plugin";
  print_string "host after load\n";
  Format.printf "host format %a@." (Format.pp_print_list Format.pp_print_int) [1; 2];
  prerr_endline "host stderr line";
  print_string "host exits without flushing"
