module Square = struct
  type t = int
  exception Bad of string
  let name = "square"
  let make n = n
  let area n = n * n
  let check n = if n < 0 then raise (Bad "negative side")
end

module Rect : Api.SHAPE = struct
  type t = { w : int; h : int }
  exception Bad of string
  let name = "rect"
  let make n = { w = n; h = n + 1 }
  let area r = r.w * r.h
  let check r = if r.w > 10 then raise (Bad (Printf.sprintf "too wide: %d" r.w))
end

module ListStack = struct
  type 'a t = 'a list
  exception Empty
  let empty = []
  let push x s = x :: s
  let pop = function [] -> raise Empty | x :: s -> (x, s)
end

let () =
  Api.shapes := [ (module Square); (module Rect) ];
  Api.showables := [ Api.Show ((module struct type t = float let show = Printf.sprintf "%.2f" end), 3.14159);
                     Api.Show ((module struct type t = int list
                                  let show l = String.concat "+" (List.map string_of_int l) end), [1; 2; 3]) ];
  Api.plugin_stack := Some (module ListStack);
  Api.plugin_sum := (fun (module S : Api.STACK) l ->
    let s = List.fold_left (fun s x -> S.push x s) S.empty l in
    let rec drain s acc = match S.pop s with
      | (x, s) -> drain s (acc + x)
      | exception S.Empty -> acc in
    let total = drain s 0 in
    match S.pop (S.empty : int S.t) with
    | _ -> "no Empty?"
    | exception S.Empty -> Printf.sprintf "sum %d, then S.Empty caught in the plugin" total);
  Api.plugin_describe := (fun m -> "plugin: " ^ Api.describe m 3 ^ "; " ^ Api.describe m 20)
