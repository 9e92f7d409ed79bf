fn main() -> Result<(), generator::build::Failed> {
    let build = generator::build::module("spec/presence.yaml").overlay("spec/overlay.yaml");
    build.name("v1_0").write_to_out_dir().map(drop)
}
