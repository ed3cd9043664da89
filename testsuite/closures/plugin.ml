let () =
  Api.register_unary "succ" succ;
  Api.register_unary "square" (fun x -> x * x);
  Api.register_unary "host_double_twice" (fun x -> Api.host_double (Api.host_double x));
  Api.register_unary "partial_add" ((+) 100);
  Api.f5 := (fun a b c d e -> a + 10 * b + 100 * c + 1000 * d + 10000 * e);
  Api.f10 := (fun a b c d e f g h i j -> a + b + c + d + e + f + g + h + i + j * 1000);
  Api.labelled := (fun ?(scale = 1) ~x ~y () -> scale * (x - y));
  Api.curried_adder := (fun a -> let base = a * 3 in fun b -> base + b);
  Api.make_counter := (fun () -> let n = ref 0 in fun () -> incr n; !n);
  Api.compose := (fun f g x -> f (g x));
  Hashtbl.replace Api.table "list_map" (Obj.repr (List.map (fun x -> x + 1)));
  (* A plugin closure handed back through a host higher-order function. *)
  Printf.printf "plugin: host_apply_n 5 (fun x -> x * 3) 1 = %d\n"
    (Api.host_apply_n 5 (fun x -> x * 3) 1);
  Printf.printf "plugin: List.map with a host closure: %s\n"
    (String.concat "," (List.map string_of_int (List.map Api.host_double [1; 2; 3])))
