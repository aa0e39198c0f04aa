//! A user's first program: one generated crate and tokio, as a newcomer writes it from the
//! README. `xtask bench user` times its clean build (issue 18's budget is for this program);
//! nothing runs it, since running it would create a resource on a real account.

use zenlayer_sdn::operation::create_private_connect::CreatePrivateConnectInput;
use zenlayer_sdn::types::CreateEndpointParam;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = zenlayer_sdn::Client::from_env()?;
    let endpoint = |port: &str, vlan: i32| {
        let mut endpoint = CreateEndpointParam::new();
        endpoint.port_id = Some(port.to_string());
        endpoint.vlan_id = Some(vlan);
        endpoint
    };
    let mut input = CreatePrivateConnectInput::new(endpoint("port-a", 1001));
    input.endpoint_z = Some(endpoint("port-z", 2001));
    input.bandwidth_mbps = Some(10);
    let created = client.create_private_connect(input).await?;
    let id = created.private_connect_id.ok_or("no id returned")?;
    let ready = client
        .wait_until_private_connect_available([id.as_str()])
        .wait()
        .await?;
    println!("{:?}", ready[0].record);
    Ok(())
}
