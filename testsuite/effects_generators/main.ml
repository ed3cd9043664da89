let show name s = Printf.printf "%s: %s\n" name (String.concat " " (List.map string_of_int (List.of_seq s)))

let () =
  let t = Api.build 1 10 in
  show "host generator, host iterator" (Api.host_to_seq (fun f -> Api.host_iter f t));
  Crosstest.load "plugin";
  show "host generator, plugin iterator" (Api.host_to_seq (fun f -> !Api.plugin_iter f t));
  show "host generator, plugin iterator, first 3"
    (Seq.take 3 (Api.host_to_seq (fun f -> !Api.plugin_iter f t)));
  show "plugin generator, host iterator" (!Api.plugin_to_seq (fun f -> Api.host_iter f t));
  let h = Hashtbl.create 8 in
  List.iter (fun i -> Hashtbl.replace h i (i * i)) [1; 2; 3; 4];
  show "plugin generator, host Hashtbl.iter (sum of key and value, sorted)"
    (List.to_seq (List.sort compare (List.of_seq
       (!Api.plugin_to_seq (fun f -> Hashtbl.iter (fun k v -> f (k + v)) h)))));
  show "zip of a host and a plugin generator, each over the other side's iterator"
    (Seq.map (fun (a, b) -> a * 100 + b)
       (Seq.zip (Api.host_to_seq (fun f -> !Api.plugin_iter f t))
          (!Api.plugin_to_seq (fun f -> Api.host_iter f (Api.build 5 9)))));
  Gc.full_major ();
  print_endline "done"
