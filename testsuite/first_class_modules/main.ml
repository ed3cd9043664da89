module Tri = struct
  type t = int * int
  exception Bad of string
  let name = "triangle"
  let make n = (n, 2 * n)
  let area (b, h) = b * h / 2
  let check (b, _) = if b mod 2 = 1 then raise (Bad "odd base")
end

module ArrStack = struct
  type 'a t = 'a array
  exception Empty
  let empty = [||]
  let push x s = Array.append [| x |] s
  let pop s = if s = [||] then raise Empty else (s.(0), Array.sub s 1 (Array.length s - 1))
end

let () =
  Crosstest.load "plugin";
  List.iter (fun m -> print_endline ("host: " ^ Api.describe m 4 ^ "; " ^ Api.describe m (-2) ^ "; " ^ Api.describe m 11))
    !Api.shapes;
  List.iter (fun (Api.Show ((module S), v)) -> Printf.printf "host shows: %s\n" (S.show v)) !Api.showables;
  (* Each module's exception is its own: Square's Bad is not Rect's. *)
  (match !Api.shapes with
   | [ (module Sq); (module Re) ] ->
     (try Sq.check (Sq.make (-1)) with Re.Bad _ -> print_endline "wrong: Rect.Bad caught Square.Bad"
                                    | Sq.Bad s -> print_endline ("host caught Square.Bad " ^ s));
     (try Re.check (Re.make 50) with Sq.Bad _ -> print_endline "wrong: Square.Bad caught Rect.Bad"
                                   | Re.Bad s -> print_endline ("host caught Rect.Bad " ^ s))
   | _ -> ());
  let module S = (val Option.get !Api.plugin_stack) in
  let s = S.push "a" (S.push "b" S.empty) in
  let (top, s) = S.pop s in
  let (next, s) = S.pop s in
  (try ignore (S.pop s) with S.Empty -> Printf.printf "host: popped %s %s, then S.Empty\n" top next);
  print_endline ("host stack in plugin: " ^ !Api.plugin_sum (module ArrStack) [1; 2; 3]);
  print_endline ("plugin stack in plugin: " ^ !Api.plugin_sum (Option.get !Api.plugin_stack) [10; 20]);
  print_endline (!Api.plugin_describe (module Tri));
  Gc.full_major ();
  print_endline (!Api.plugin_describe (List.hd !Api.shapes))
