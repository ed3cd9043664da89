class triangle b h = object
  inherit Api.shape "triangle"
  method area = b * h / 2
end

let () =
  Crosstest.load "plugin";
  List.iter (fun s -> print_endline ("host: " ^ s#describe)) !Api.shapes;
  print_endline (!Api.plugin_visit (new triangle 4 5));
  print_endline (!Api.plugin_visit (Api.host_square :> Api.shape));
  Printf.printf "host: host counter after the plugin = %d\n" Api.host_counter#get;
  let c = Option.get !Api.plugin_counter in
  ignore (c#incr#incr#incr);
  let before = c#get in
  let add = c#adder in
  let after = add 10 in
  Printf.printf "host: plugin counter = %d, adder 10 -> %d\n" before after;
  let c2 = Oo.copy c in
  ignore (c2#incr);
  let copied = c2#get in
  Printf.printf "host: copy of plugin counter = %d, original = %d, same id: %b\n"
    copied c#get (Oo.id c = Oo.id c2);
  !Api.plugin_copy_test Api.host_counter;
  !Api.plugin_copy_test c;
  let m = Option.get !Api.plugin_mapper in
  Printf.printf "host: plugin mapper %s: [%s] [%s]\n" m#name
    (String.concat ";" (m#map string_of_int [4; 5]))
    (String.concat ";" (m#map (fun s -> s ^ "!") ["a"; "b"]));
  let sq = Api.host_square#resized 2 in
  Gc.full_major ();
  Printf.printf "host: %s, original %s\n" sq#describe Api.host_square#describe;
  let total = List.fold_left (fun acc (s : Api.shape) -> acc + s#area) 0 !Api.shapes in
  Printf.printf "host: total area %d\n" total
