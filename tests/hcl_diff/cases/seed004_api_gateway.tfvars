api_gateway_rest_apis = {
  main = {
    name        = "main-api"
    description = "Main REST API"
    
    endpoint_configuration = {
      types = ["REGIONAL"]
    }
  }
}

api_gateway_http_apis = {
  fast = {
    name        = "fast-api"
    description = "High-performance HTTP API"
    
    cors_configuration = {
      allow_origins = ["*"]
      allow_methods = ["GET", "POST", "PUT", "DELETE"]
      allow_headers = ["content-type", "authorization"]
    }
  }
}
