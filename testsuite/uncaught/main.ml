let () =
  Crosstest.load "plugin";
  print_endline "host calls into the plugin";
  !Api.boom ()
