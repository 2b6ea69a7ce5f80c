//! "My vehicles": what NTSA's register gives the citizen, read from the register each time, so
//! a vehicle sold is gone from the seller's account the moment the register records the buyer.

use super::*;
use crate::registers::{normalise_key, Asker, Vehicle};
use crate::services::views::{MyVehiclesView, VehicleView};

fn vehicle_view(vehicle: &Vehicle) -> VehicleView {
    VehicleView {
        registration_number: vehicle.registration_number.clone(),
        slug: vehicle.registration_number.replace(' ', ""),
        make: vehicle.make.clone(),
        model: vehicle.model.clone(),
        year: vehicle.year,
        colour: vehicle.colour.clone(),
        chassis_number: vehicle.chassis_number.clone(),
        logbook_number: vehicle.logbook_number.clone(),
        owner_name: vehicle.owner_name.clone(),
        insurance_status: vehicle.insurance_status.clone(),
        insurance_expiry: vehicle.insurance_expiry.clone(),
        caveats: vehicle.caveats.clone(),
    }
}

impl Applications {
    pub async fn my_vehicles(&self, citizen: &Account) -> Result<MyVehiclesView, AppError> {
        let asker = Asker::account(citizen.id, "my vehicles");
        let vehicles = self.registers.vehicles_owned_by(&citizen.id_number, &asker).await?;
        Ok(MyVehiclesView { vehicles: vehicles.iter().map(vehicle_view).collect(), transfers_to_me: self.transfers_to(citizen).await? })
    }

    /// One vehicle's whole record, for its registered owner only: anyone else (a former
    /// owner included) is told it is not found.
    pub async fn my_vehicle(&self, citizen: &Account, registration: &str) -> Result<VehicleView, AppError> {
        let asker = Asker::account(citizen.id, "my vehicle");
        let vehicle = self.registers.vehicle(registration, &asker).await?;
        let owned = vehicle.filter(|v| normalise_key(&v.owner_id_number) == normalise_key(&citizen.id_number));
        owned.as_ref().map(vehicle_view).ok_or(AppError::NotFound)
    }
}
