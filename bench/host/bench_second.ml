(* A small unit that bench_host.ml loads after the kernel's plugin, to time
   a Dynlink.loadfile that is not the first of the process: in a native
   host loading .cmo files, the first load also starts the guest
   interpreter. *)

type shape = Circle of float | Rect of float * float

let area = function
  | Circle r -> 3.14159 *. r *. r
  | Rect (w, h) -> w *. h

let table = Hashtbl.create 16

let () =
  List.iteri (fun i s -> Hashtbl.replace table i (area s))
    [Circle 1.; Rect (2., 3.); Circle 0.5]
