(* Data marshalled on one side and read on the other. *)
type color = Red | Green | Rgb of int * int * int
type point = { x : float; y : float; label : string; color : color }
type tree = Leaf | Node of tree * int * tree
type data = {
  points : point list;
  tree : tree;
  floats : float array;
  boxed : int32 * int64 * nativeint;
  shared : string * string;      (* the same string twice *)
  cycle : int list;              (* a cyclic list *)
  opt : (string, int) result option;
}

let make_data tag =
  let s = "shared-" ^ tag in
  let rec cycle = 1 :: 2 :: 3 :: cycle in
  { points = [ { x = 1.5; y = -0.25; label = tag; color = Red };
               { x = nan; y = infinity; label = "π"; color = Rgb (1, 2, 3) } ];
    tree = Node (Node (Leaf, 1, Leaf), 2, Node (Leaf, 3, Leaf));
    floats = [| 0.1; 1e300; -0. |];
    boxed = (-5l, 0x1234_5678_9abc_def0L, 42n);
    shared = (s, s);
    cycle;
    opt = Some (Error 7) }

let rec take n l = if n = 0 then [] else match l with [] -> [] | x :: r -> x :: take (n - 1) r
let rec sum_tree = function Leaf -> 0 | Node (l, v, r) -> sum_tree l + v + sum_tree r

let describe who (d : data) =
  let p = List.nth d.points 1 in
  let (a, b, c) = d.boxed in
  Printf.printf "%s: labels %s; p2 %h %h %s; tree sum %d; floats %s; boxed %ld %Lx %nd\n" who
    (String.concat "," (List.map (fun p -> p.label) d.points)) p.x p.y
    (match p.color with Rgb (r, g, b) -> Printf.sprintf "rgb%d%d%d" r g b | _ -> "?")
    (sum_tree d.tree) (String.concat "," (Array.to_list (Array.map (Printf.sprintf "%h") d.floats))) a b c;
  Printf.printf "%s: shared kept: %b; cycle %s, cyclic: %b; hash %d\n" who
    (fst d.shared == snd d.shared) (String.concat "" (List.map string_of_int (take 7 d.cycle)))
    (List.tl (List.tl (List.tl d.cycle)) == d.cycle) (Hashtbl.hash d)

(* Filled by the plugin. *)
let plugin_blob = ref ""
let plugin_read : (string -> unit) ref = ref ignore
let plugin_hash : (data -> int) ref = ref (fun _ -> 0)
