#pragma once
// Everything of the C++ SDK in one include.

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/ApiResponse.h"
#include "PureCloudPlatformClientV2/AuthData.h"
#include "PureCloudPlatformClientV2/Configuration.h"
#include "PureCloudPlatformClientV2/LoopbackLogin.h"
#include "PureCloudPlatformClientV2/Region.h"
#include "PureCloudPlatformClientV2/TokensApi.h"
#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/Json.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"
