let () = print_endline "plugin: the good plugin still loads"
