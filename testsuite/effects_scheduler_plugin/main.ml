(* Tasks for the plugin's scheduler. *)
let direct () =
  for i = 1 to 3 do Printf.printf "host direct %d\n" i; Effect.perform Api.Yield done

let through_plugin () =
  for i = 1 to 3 do Printf.printf "host through plugin %d\n" i; !Api.plugin_yield () done

let under_iter () =
  List.iter (fun s -> Printf.printf "host under List.iter %s\n" s; Effect.perform Api.Yield) ["a"; "b"]

let spawner () =
  print_endline "host spawner starts";
  Effect.perform (Api.Spawn (fun () -> print_endline "spawned 1"; Effect.perform Api.Yield; print_endline "spawned 2"));
  print_endline "host spawner ends"

let raiser () =
  Effect.perform Api.Yield;
  failwith "host task fails"

let () =
  Crosstest.load "plugin";
  !Api.plugin_run [direct; through_plugin; under_iter; spawner; raiser];
  print_endline "all tasks done"
