let () =
  Crosstest.load "plugin";
  List.iter
    (fun (name, f) -> Printf.printf "%s 7 = %d\n" name (f 7))
    (List.sort compare !Api.unary);
  Printf.printf "f5 = %d\n" (!Api.f5 1 2 3 4 5);
  let p = !Api.f5 1 2 in
  Printf.printf "f5 partial then rest = %d\n" (p 3 4 5);
  Printf.printf "f10 = %d\n" (!Api.f10 1 2 3 4 5 6 7 8 9 10);
  let p3 = !Api.f10 1 1 1 in
  Printf.printf "f10 in three steps = %d\n" ((p3 1 1 1) 1 1 1 2);
  Printf.printf "labelled = %d, with ~scale = %d, labels reordered = %d\n"
    (!Api.labelled ~x:10 ~y:3 ()) (!Api.labelled ~scale:5 ~x:10 ~y:3 ())
    (!Api.labelled ~y:1 ~x:4 ());
  let add4 = !Api.curried_adder 4 in
  Printf.printf "curried_adder 4 5 = %d, 4 6 = %d\n" (add4 5) (add4 6);
  (* Over-application: a function returning a function, applied at once. *)
  Printf.printf "over-applied = %d\n" (!Api.curried_adder 1 2);
  let c = !Api.make_counter () in
  ignore (c ()); ignore (c ());
  Printf.printf "counter = %d\n" (c ());
  Printf.printf "compose = %d\n" (!Api.compose succ (fun x -> x * 10) 4);
  let map : int list -> int list = Obj.obj (Hashtbl.find Api.table "list_map") in
  Printf.printf "list_map = %s\n" (String.concat " " (List.map string_of_int (map [1; 2; 3])))
