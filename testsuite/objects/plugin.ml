(* Plugin classes inheriting the host's, plugin objects handed back. *)
class circle r = object
  inherit Api.shape "circle"
  method area = 3 * r * r
end

class labelled_square side label = object
  inherit Api.square side as super
  method! name = "square:" ^ label
  method! describe = "<" ^ super#describe ^ ">"
end

class loud_counter = object
  inherit Api.counter as super
  method! get = 100 + super#get
end

let () =
  Api.shapes := [ new circle 2; (new labelled_square 4 "p" :> Api.shape);
                  (Api.host_square#resized 5 :> Api.shape) ];
  Api.plugin_counter := Some (new loud_counter);
  Api.plugin_mapper := Some (object
    method map : 'a 'b. ('a -> 'b) -> 'a list -> 'b list = fun f l -> List.rev (List.rev_map f l)
    method name = "plugin" end);
  Api.plugin_visit := (fun s -> "plugin sees " ^ s#describe);
  Api.plugin_copy_test := (fun c ->
    let c' = Oo.copy c in
    ignore (c'#incr#incr);
    let copied = c'#get in
    Printf.printf "plugin: copy of host counter = %d, original = %d, same id: %b\n"
      copied c#get (Oo.id c = Oo.id c'));
  (* Methods of host objects called by plugin code. *)
  Printf.printf "plugin: %s, resized %s\n" Api.host_square#describe (Api.host_square#resized 1)#describe;
  let add = Api.host_counter#adder in
  let a5 = add 5 in
  let a2 = add 2 in
  Printf.printf "plugin: host counter adder 5 -> %d, then 2 -> %d\n" a5 a2;
  Printf.printf "plugin: host mapper %s: [%s] [%s]\n" Api.host_mapper#name
    (String.concat ";" (Api.host_mapper#map string_of_int [1; 2; 3]))
    (String.concat ";" (List.map string_of_bool (Api.host_mapper#map (fun x -> x > 1) [1; 2; 3])))
