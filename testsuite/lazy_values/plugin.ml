let say s = print_endline ("  (plugin forcing " ^ s ^ ")")

let rec fibs a b = Api.Cons (a, lazy (say (string_of_int a); fibs b (a + b)))
let rec self = lazy (1 + Lazy.force self)

let () =
  Api.named := [
    ("lazy", lazy (say "lazy"; 10));
    ("from_fun", Lazy.from_fun (fun () -> say "from_fun"; 20));
    ("from_val", Lazy.from_val 30);
    ("map", Lazy.map (fun x -> say "map"; x + 1) Api.host_lazy);
    ("boom", lazy (say "boom"; raise (Api.Lazy_boom 2)));
    ("failwith", Lazy.from_fun (fun () -> say "failwith"; failwith "plugin failure")) ];
  Api.plugin_stream := fibs 0 1;
  Api.self_ref := Some self;
  Api.gc_lazy := Some (let s = String.make 3 'x' in
                       lazy (Gc.full_major (); Gc.compact (); s ^ String.make 2 'y'));
  Api.plugin_force := (fun l ->
    match Lazy.force l with
    | v -> Printf.sprintf "plugin got %d (is_val %b)" v (Lazy.is_val l)
    | exception Api.Lazy_boom n -> Printf.sprintf "plugin caught Lazy_boom %d" n);
  Printf.printf "plugin: host stream %s\n" (Api.show (Api.take 5 (Api.host_nats 100)))
