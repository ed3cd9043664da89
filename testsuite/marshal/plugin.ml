let () =
  let d = Api.make_data "plugin" in
  Api.describe "plugin original" d;
  Api.plugin_blob := Marshal.to_string d [];
  Api.plugin_hash := Hashtbl.hash;
  Api.plugin_read := (fun blob ->
    let (d : Api.data) = Marshal.from_string blob 0 in
    Api.describe "plugin reads host blob" d;
    Printf.printf "plugin: reads equal its own: %b\n" (Marshal.to_string d [] = Marshal.to_string (Api.make_data "host") []))
